/**
 * Builds the renderer's RenderContext for one place on the page. Each place (a message, an
 * ephemeral, the modal, Home) tells the server where a click came from in its own way, so the
 * source is bound here and the renderer never needs to know.
 */
import type { ActionRequest, ActionSource, StateValues } from '../../protocol';
import type { BlockAction, RenderContext } from '../blockkit/context';
import type { Directory } from './directory';

export interface PageContext {
  viewer: string;
  timeZone: string;
  directory: Directory;
  act: (request: ActionRequest) => void;
}

export function actionRequest(viewer: string, source: ActionSource, action: BlockAction, state?: StateValues): ActionRequest {
  return {
    user: viewer,
    source,
    actionId: action.actionId,
    blockId: action.blockId,
    ...(action.selectedValue !== undefined ? { selectedValue: action.selectedValue } : {}),
    ...(state !== undefined ? { state } : {}),
  };
}

export function renderContextFor(page: PageContext, source: ActionSource, inputs?: RenderContext['inputs']): RenderContext {
  return {
    timeZone: page.timeZone,
    userName: page.directory.userName,
    channelName: page.directory.channelName,
    // A click inside a modal carries the modal's current values, as Slack's block_actions does.
    onAction: (action) => page.act(actionRequest(page.viewer, source, action, inputs?.values)),
    ...(inputs !== undefined ? { inputs } : {}),
  };
}
