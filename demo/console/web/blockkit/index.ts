/** The demo console's Block Kit renderer: pure presentation; clicks and input changes leave through the context. */
export { Blocks } from './Blocks';
export { Mrkdwn, PlainText } from './MrkdwnView';
export { initialValues, type BlockInputValue } from './state';
export { parseMrkdwn, type MrkdwnNode } from './mrkdwn';
export { formatSlackDate } from './dates';
export type { BlockAction, RenderContext } from './context';
export type { BlockKitContext, RenderExtras } from './render-options';
