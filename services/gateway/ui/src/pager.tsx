import { fill, t, type Lang } from './i18n.js';

/** Previous and next page of a list paged on the server, with where the reader is; nothing when it fits one page. */
export function Pager({ lang, offset, size, total, onOffset }: { lang: Lang; offset: number; size: number; total: number; onOffset: (offset: number) => void }) {
  if (total <= size) return null;
  return (
    <nav class="pager" aria-label={t(lang, 'pages')}>
      <button type="button" class="secondary" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - size))}>{t(lang, 'previousPage')}</button>
      <span>{fill(t(lang, 'pageOf'), { from: offset + 1, to: Math.min(offset + size, total), total })}</span>
      <button type="button" class="secondary" disabled={offset + size >= total} onClick={() => onOffset(offset + size)}>{t(lang, 'nextPage')}</button>
    </nav>
  );
}
