import { useEffect, useRef, useState } from 'preact/hooks';
import { page } from './api.js';
import type { DrillTarget } from './dashboard-figures.js';
import { chinaTime, fill, t, wordFor, type Lang } from './i18n.js';
import { Pager } from './pager.js';
import { stateLabel } from './timeline.js';

/** The filter the dashboard's figures were computed under (the drill-down lists the same rows), with the instant they are as of. */
export interface AppliedFilter {
  from: string;
  to: string;
  division?: string;
  bedType?: string;
  asOf: string;
}

/** A referral behind a count, as the monitoring service lists it: its number, never who the elder is. */
interface ReferralBehind {
  referralId: string;
  reference: string | null;
  stage: string;
  since: string | null;
  startedAt: string | null;
  urgent: boolean;
  bedType: string | null;
  originCountyName: string | null;
  originInstitutionName: string | null;
  providerName: string | null;
}

const PAGE = 20;

/**
 * The referrals behind one count of the dashboard: their numbers, bed type, the stage each is in
 * and since when, where each came from and the provider it is about; paged on the server. No
 * identity is listed (the service sends none). Keyed by its target, so another count starts on its first page.
 */
export function DrillDown({ lang, target, filter, onClose, onError }: { lang: Lang; target: DrillTarget; filter: AppliedFilter; onClose: () => void; onError: (e: unknown) => void }) {
  const [offset, setOffset] = useState(0);
  const [list, setList] = useState<{ items: ReferralBehind[]; total: number } | null>(null);
  const panel = useRef<HTMLElement>(null);

  useEffect(() => {
    let current = true;
    setList(null);
    const query = new URLSearchParams({
      from: filter.from,
      to: filter.to,
      ...(filter.division ? { division: filter.division } : {}),
      ...(filter.bedType ? { bedType: filter.bedType } : {}),
      asOf: filter.asOf,
      count: target.count,
      ...(target.sub === undefined ? {} : { sub: target.sub }),
      limit: String(PAGE),
      offset: String(offset),
    });
    page<ReferralBehind>(`/api/monitoring/metrics/${target.metric}/referrals?${query.toString()}`).then(
      (found) => current && setList(found),
      (e: unknown) => current && onError(e),
    );
    return () => {
      current = false;
    };
  }, [target, filter, offset]);
  useEffect(() => panel.current?.scrollIntoView({ block: 'nearest' }), [target]);

  const dash = '—';
  return (
    <section class="panel drill" ref={panel} aria-live="polite" data-total={list?.total}>
      <div class="drill-head">
        <h3>{fill(t(lang, 'analyst_drillTitle'), { what: target.title })}</h3>
        <button type="button" class="secondary" onClick={onClose}>{t(lang, 'analyst_close')}</button>
      </div>
      <p class="hint">{t(lang, 'analyst_drillPrivacy')}</p>
      {list === null ? (
        <p>{t(lang, 'loading')}</p>
      ) : list.total === 0 ? (
        <p class="empty">{t(lang, 'analyst_drillEmpty')}</p>
      ) : (
        <>
          <p class="drill-count-text">{fill(t(lang, 'analyst_drillCount'), { total: list.total })}</p>
          <div class="table-scroll">
            <table class="drill-list">
              <thead>
                <tr>
                  <th>{t(lang, 'reference')}</th>
                  <th>{t(lang, 'bedType')}</th>
                  <th>{t(lang, 'analyst_stageNow')}</th>
                  <th>{t(lang, 'analyst_since')}</th>
                  <th>{t(lang, 'analyst_origin')}</th>
                  <th>{t(lang, 'analyst_provider')}</th>
                  <th>{t(lang, 'startedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((r) => (
                  <tr key={r.referralId} data-reference={r.reference ?? ''}>
                    <td class="reference" data-label={t(lang, 'reference')}><span>{r.reference ?? t(lang, 'analyst_noReference')}{r.urgent && <> <span class="badge">{t(lang, 'greenChannel')}</span></>}</span></td>
                    <td data-label={t(lang, 'bedType')}>{r.bedType ? (wordFor(lang, r.bedType) ?? dash) : dash}</td>
                    <td class="stage" data-label={t(lang, 'analyst_stageNow')}>{stateLabel(lang, r.stage)}</td>
                    <td data-label={t(lang, 'analyst_since')}>{r.since ? chinaTime(lang, r.since) : dash}</td>
                    <td data-label={t(lang, 'analyst_origin')}>{[r.originCountyName, r.originInstitutionName].filter(Boolean).join(' · ') || dash}</td>
                    <td data-label={t(lang, 'analyst_provider')}>{r.providerName ?? dash}</td>
                    <td data-label={t(lang, 'startedAt')}>{r.startedAt ? chinaTime(lang, r.startedAt) : dash}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager lang={lang} offset={offset} size={PAGE} total={list.total} onOffset={setOffset} />
        </>
      )}
    </section>
  );
}
