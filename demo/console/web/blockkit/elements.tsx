/** Interactive elements of messages and views: buttons, overflow menus, static selects, image accessories. */
import { useState } from 'preact/hooks';
import type { OptionObject } from '../../protocol';
import { useConfirmation } from './Confirm';
import type { ButtonModel, ElementModel, ImageModel, OverflowModel, SelectModel } from './model';
import type { BlockKitContext } from './render-options';
import { PlainText } from './MrkdwnView';
import { TextView } from './TextView';

/** Shown in place of anything the renderer does not know, so the gap is visible rather than silent. */
export function Unsupported({ what, name }: { what: 'block' | 'element'; name: string }) {
  return <div class="bk-unsupported">{`[unsupported ${what}: ${name}]`}</div>;
}

/** Links open in a new tab without handing the page to the opened one. */
function openLink(url: string): void {
  window.open(url, '_blank', 'noopener,noreferrer');
}

interface ElementProps<M> {
  element: M;
  blockId: string;
  ctx: BlockKitContext;
}

export function ButtonElement({ element, blockId, ctx }: ElementProps<ButtonModel>) {
  const { ask, dialog } = useConfirmation(ctx);
  const click = () =>
    ask(element.confirm, () => {
      if (element.url) openLink(element.url);
      // Slack sends block_actions for link buttons too; the bot acks them.
      ctx.onAction({ actionId: element.actionId, blockId, type: 'button' });
    });
  const style = element.style ? ` bk-button-${element.style}` : '';
  return (
    <>
      {/* accessibility_label goes to the title, not aria-label: the accessible name stays the visible text. */}
      <button type="button" class={`bk-button${style}`} title={element.accessibilityLabel} data-action-id={element.actionId} onClick={click}>
        <TextView text={element.text} ctx={ctx} />
      </button>
      {dialog}
    </>
  );
}

export function OverflowElement({ element, blockId, ctx }: ElementProps<OverflowModel>) {
  const [open, setOpen] = useState(false);
  const { ask, dialog } = useConfirmation(ctx);
  const choose = (option: OptionObject) => {
    setOpen(false);
    ask(element.confirm, () => ctx.onAction({ actionId: element.actionId, blockId, type: 'overflow', selectedValue: option.value }));
  };
  return (
    <div class="bk-overflow" data-action-id={element.actionId}>
      <button
        type="button"
        class="bk-button bk-overflow-toggle"
        aria-label="More actions"
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {'\u22EE'}
      </button>
      {open ? (
        <div class="bk-overflow-menu">
          {element.options.map((option) => (
            <button type="button" key={option.value} class="bk-overflow-option" onClick={() => choose(option)}>
              <PlainText text={option.text.text} />
            </button>
          ))}
        </div>
      ) : null}
      {dialog}
    </div>
  );
}

/** The options of a native select: flat ones first, then each group as an optgroup. */
export function SelectOptions({ element }: { element: SelectModel }) {
  const grouped = new Set(element.groups.flatMap((g) => g.options.map((o) => o.value)));
  const flat = element.options.filter((o) => !grouped.has(o.value));
  const option = (o: OptionObject) => (
    <option key={o.value} value={o.value}>
      {o.text.text}
    </option>
  );
  return (
    <>
      <option value="" disabled>
        {element.placeholder ?? 'Select an item'}
      </option>
      {flat.map(option)}
      {element.groups.map((g, i) => (
        <optgroup key={i} label={g.label}>
          {g.options.map(option)}
        </optgroup>
      ))}
    </>
  );
}

/** A static select in a message or an actions block: choosing is the action (inputs use inputs.tsx). */
export function ActionSelectElement({ element, blockId, ctx }: ElementProps<SelectModel>) {
  const [selected, setSelected] = useState(element.initialOption?.value ?? '');
  const { ask, dialog } = useConfirmation(ctx);
  const change = (value: string) => {
    const previous = selected;
    setSelected(value);
    ask(
      element.confirm,
      () => ctx.onAction({ actionId: element.actionId, blockId, type: 'static_select', selectedValue: value }),
      () => setSelected(previous),
    );
  };
  return (
    <>
      <select
        class="bk-select"
        aria-label={element.placeholder ?? 'Select an item'}
        data-action-id={element.actionId}
        value={selected}
        onChange={(e) => change(e.currentTarget.value)}
      >
        <SelectOptions element={element} />
      </select>
      {dialog}
    </>
  );
}

export function ImageElement({ image, className }: { image: ImageModel; className: string }) {
  return image.url ? <img class={className} src={image.url} alt={image.alt} /> : <span class={`${className} bk-image-missing`}>{image.alt || '[image]'}</span>;
}

/** An element of an actions block or a section accessory. */
export function ElementView({ element, blockId, ctx }: ElementProps<ElementModel>) {
  switch (element.type) {
    case 'button':
      return <ButtonElement element={element} blockId={blockId} ctx={ctx} />;
    case 'overflow':
      return <OverflowElement element={element} blockId={blockId} ctx={ctx} />;
    case 'static_select':
      return <ActionSelectElement element={element} blockId={blockId} ctx={ctx} />;
    case 'image':
      return <ImageElement image={element} className="bk-accessory-image" />;
    case 'unsupported':
      return <Unsupported what="element" name={element.name} />;
  }
}
