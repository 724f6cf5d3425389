import { useEffect, useState } from 'preact/hooks';
import { json } from './api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The names of the elders on a list, from civil affairs: only those the reader may see are named
 * (a provider: the elders whose family chose it; a planner: as civil affairs masks them); each
 * read is audited there. References that are not civil affairs' ids are not asked about.
 */
export function useElderNames(refs: readonly (string | null)[]): Map<string, string> {
  const [names, setNames] = useState(new Map<string, string>());
  const key = [...new Set(refs.filter((r): r is string => r !== null && UUID.test(r)))].sort().join(',');
  useEffect(() => {
    if (!key) return;
    json<{ elderRef: string; name: string }[]>('POST', '/api/civil-affairs/elders/names', { elderRefs: key.split(',') }).then(
      (found) => setNames(new Map(found.map((f) => [f.elderRef, f.name]))),
      () => setNames(new Map()),
    );
  }, [key]);
  return names;
}
