/**
 * The number people use for an LTCI application (申请编号): the China-time date it was opened and
 * its place in the order of all applications, e.g. `20261205-000123`. Shown to the officer and
 * searched for; the application's id stays for machines.
 */
export function referenceOf(number: number, appliedAt: Date): string {
  const china = new Date(appliedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `${china}-${String(number).padStart(6, '0')}`;
}

/** The sequence number inside a reference (`20261205-000123`, or just `123`), or undefined when the text is not one. */
export function numberOfReference(text: string): number | undefined {
  const match = /^(?:\d{8}-)?0*(\d{1,12})$/.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}
