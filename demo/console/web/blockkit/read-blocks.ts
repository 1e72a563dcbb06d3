/** Reads a message's or view's `blocks` (unknown JSON) into BlockModels. Pure; never throws. */
import { asArray, asBoolean, asRecord, asString } from './guards';
import type { BlockModel, TextModel } from './model';
import { readContextElement, readElement, readImage, readInputElement, readText } from './read-elements';

function readBlock(raw: unknown, index: number): BlockModel {
  const obj = asRecord(raw);
  const blockId = asString(obj?.block_id) ?? `bk-block-${index}`;
  const fallbackActionId = `bk-action-${index}`;
  switch (obj?.type) {
    case 'header':
      return { type: 'header', blockId, text: readText(obj.text) ?? { type: 'plain_text', text: '', emoji: true } };
    case 'section': {
      const text = readText(obj.text);
      const fields = asArray(obj.fields)
        .map(readText)
        .filter((t): t is TextModel => t !== undefined);
      return {
        type: 'section',
        blockId,
        fields,
        ...(text ? { text } : {}),
        ...(obj.accessory !== undefined ? { accessory: readElement(obj.accessory, fallbackActionId) } : {}),
      };
    }
    case 'context':
      return { type: 'context', blockId, elements: asArray(obj.elements).map(readContextElement) };
    case 'divider':
      return { type: 'divider', blockId };
    case 'actions':
      return { type: 'actions', blockId, elements: asArray(obj.elements).map((e, i) => readElement(e, `${fallbackActionId}-${i}`)) };
    case 'image': {
      const title = readText(obj.title);
      return { type: 'image', blockId, image: readImage(obj), ...(title ? { title } : {}) };
    }
    case 'input': {
      const hint = readText(obj.hint);
      return {
        type: 'input',
        blockId,
        label: readText(obj.label) ?? { type: 'plain_text', text: '', emoji: true },
        optional: asBoolean(obj.optional) === true,
        element: readInputElement(obj.element, fallbackActionId),
        ...(hint ? { hint } : {}),
      };
    }
    default:
      return { type: 'unsupported', blockId, name: asString(obj?.type) ?? 'block without a type' };
  }
}

/** Anything but an array reads as no blocks: `blocks: null` is a text-only message. */
export function readBlocks(raw: unknown): BlockModel[] {
  return asArray(raw).map(readBlock);
}
