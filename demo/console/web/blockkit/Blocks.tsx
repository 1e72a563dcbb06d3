/**
 * `<Blocks blocks={…} ctx={…} />`: a message's or view's blocks as Slack shows them, close enough to
 * read and click. The blocks are read into typed models first (read-blocks.ts), so odd JSON from the
 * bot shows as "[unsupported …]" lines instead of breaking the page.
 */
import { useMemo } from 'preact/hooks';
import { ElementView, ImageElement, Unsupported } from './elements';
import { InputBlockView } from './inputs';
import type { BlockModel } from './model';
import { readBlocks } from './read-blocks';
import type { BlockKitContext } from './render-options';
import { PlainText } from './MrkdwnView';
import { TextView } from './TextView';

function BlockBody({ block, ctx }: { block: BlockModel; ctx: BlockKitContext }) {
  switch (block.type) {
    case 'header':
      return (
        <h3 class="bk-header">
          <PlainText text={block.text.text} emoji={block.text.emoji} />
        </h3>
      );
    case 'section':
      return (
        <div class="bk-section">
          <div class="bk-section-main">
            {block.text ? (
              <div class="bk-section-text">
                <TextView text={block.text} ctx={ctx} />
              </div>
            ) : null}
            {block.fields.length > 0 ? (
              <div class="bk-fields">
                {block.fields.map((field, i) => (
                  <div key={i} class="bk-field">
                    <TextView text={field} ctx={ctx} />
                  </div>
                ))}
              </div>
            ) : null}
          </div>
          {block.accessory ? (
            <div class="bk-accessory">
              <ElementView element={block.accessory} blockId={block.blockId} ctx={ctx} />
            </div>
          ) : null}
        </div>
      );
    case 'context':
      return (
        <div class="bk-context">
          {block.elements.map((element, i) =>
            element.type === 'text' ? (
              <span key={i} class="bk-context-item">
                <TextView text={element.text} ctx={ctx} />
              </span>
            ) : element.type === 'image' ? (
              <ImageElement key={i} image={element} className="bk-context-image" />
            ) : (
              <Unsupported key={i} what="element" name={element.name} />
            ),
          )}
        </div>
      );
    case 'divider':
      return <hr class="bk-divider" />;
    case 'actions':
      return (
        <div class="bk-actions">
          {block.elements.map((element, i) => (
            <ElementView key={`${i}-${element.type}`} element={element} blockId={block.blockId} ctx={ctx} />
          ))}
        </div>
      );
    case 'image':
      return (
        <figure class="bk-image-block">
          {block.title ? (
            <figcaption class="bk-image-title">
              <TextView text={block.title} ctx={ctx} />
            </figcaption>
          ) : null}
          <ImageElement image={block.image} className="bk-image" />
        </figure>
      );
    case 'input':
      return <InputBlockView block={block} ctx={ctx} />;
    case 'unsupported':
      return <Unsupported what="block" name={block.name} />;
  }
}

export function Blocks({ blocks, ctx }: { blocks: unknown; ctx: BlockKitContext }) {
  const models = useMemo(() => readBlocks(blocks), [blocks]);
  return (
    <div class="bk-blocks">
      {models.map((block, i) => (
        <div
          key={`${i}-${block.blockId}`}
          class={`bk-block bk-block-${block.type}`}
          data-block-type={block.type === 'unsupported' ? block.name : block.type}
          data-block-id={block.blockId}
        >
          <BlockBody block={block} ctx={ctx} />
        </div>
      ))}
    </div>
  );
}
