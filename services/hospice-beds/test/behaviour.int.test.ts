import { bedServiceBehaviour } from '@fbl/testing/bed-service-suite';
import { policy } from '../src/policy.js';

bedServiceBehaviour({ policy, institutionKind: 'hospital', unit: { kind: 'bed', attributes: { mode: 'inpatient' } } });
