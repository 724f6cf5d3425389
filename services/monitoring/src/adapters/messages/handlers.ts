import {
  AbilityAssessed,
  AdmissionRecorded,
  BED_TYPES,
  bedEventsTopic,
  BedAvailabilityChanged,
  CIVIL_AFFAIRS,
  DischargeRecorded,
  eventsTopic,
  HomeCareStatementIssued,
  HomeVisitCompleted,
  HomeVisitMissed,
  InstitutionRegistered,
  LtciAuthorised,
  LtciRefused,
  MEDICAL_INSURANCE,
  OfferAnswered,
  OfferNotSelected,
  REFERRAL,
  ReferralCancelled,
  ReferralClosed,
  ReferralEscalated,
  ReferralOffered,
  ReferralRequested,
  ReferralStateChanged,
  TanfangScheduled,
} from '@fbl/contracts';
import { on, type HandlerEntry } from '@fbl/messaging';
import type { Projector } from '../../application/projector.js';

/** Every topic the projections read: the referral, bed (home beds' visits among them), civil-affairs (探访, statements) and insurance events. */
export const MONITORED_TOPICS = [eventsTopic(REFERRAL), ...BED_TYPES.map(bedEventsTopic), eventsTopic(CIVIL_AFFAIRS), eventsTopic(MEDICAL_INSURANCE)];

/** The events that move the projections; the topics carry others, which are passed over. */
export function monitoringHandlers(p: Projector): HandlerEntry[] {
  return [
    on(ReferralRequested, (m, { tx }) => p.requested(tx, m)),
    on(ReferralStateChanged, (m, { tx }) => p.stateChanged(tx, m)),
    on(ReferralOffered, (m, { tx }) => p.offered(tx, m)),
    on(OfferAnswered, (m, { tx }) => p.answered(tx, m)),
    on(OfferNotSelected, (m, { tx }) => p.notSelected(tx, m)),
    on(ReferralEscalated, (m, { tx }) => p.escalated(tx, m)),
    on(ReferralCancelled, (m, { tx }) => p.cancelled(tx, m)),
    on(ReferralClosed, (m, { tx }) => p.closed(tx, m)),
    on(AdmissionRecorded, (m, { tx }) => p.admitted(tx, m)),
    on(DischargeRecorded, (m, { tx }) => p.discharged(tx, m)),
    on(InstitutionRegistered, (m, { tx }) => p.institution(tx, m)),
    on(BedAvailabilityChanged, (m, { tx }) => p.availability(tx, m)),
    on(AbilityAssessed, (m, { tx }) => p.assessed(tx, m)),
    on(LtciAuthorised, (m, { tx }) => p.ltciDecided(tx, m, 'authorised')),
    on(LtciRefused, (m, { tx }) => p.ltciDecided(tx, m, 'refused')),
    on(HomeVisitCompleted, (m, { tx }) => p.visits.completed(tx, m)),
    on(HomeVisitMissed, (m, { tx }) => p.visits.missed(tx, m)),
    on(TanfangScheduled, (m, { tx }) => p.visits.tanfangScheduled(tx, m)),
    on(HomeCareStatementIssued, (m, { tx }) => p.visits.statementIssued(tx, m)),
  ];
}
