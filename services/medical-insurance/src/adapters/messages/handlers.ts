import { AuthoriseLtci } from '@fbl/contracts';
import { on, type HandlerEntry } from '@fbl/messaging';
import type { HomeSickBedFilings } from '../../application/home-sick-bed-filings.js';
import type { LtciApplications } from '../../application/ltci-applications.js';
import { FileHomeSickBed, LtciDeadlineDue } from '@fbl/contracts';

/** Commands medical insurance acts on, its own deadlines among them. */
export function medicalInsuranceHandlers(ltci: LtciApplications, filings: HomeSickBedFilings): HandlerEntry[] {
  return [
    on(AuthoriseLtci, (m, { tx, outbox }) => ltci.requestAuthorisation(m, tx, outbox)),
    on(LtciDeadlineDue, (m, { tx, outbox }) => ltci.deadlineDue(m, tx, outbox)),
    on(FileHomeSickBed, (m, { tx, outbox }) => filings.onFileCommand(m, tx, outbox)),
  ];
}
