import { bedServiceBehaviour } from '@fbl/testing/bed-service-suite';
import { policy } from '../src/policy.js';

bedServiceBehaviour({ policy, institutionKind: 'care-home', unit: { kind: 'bed', attributes: { nursingType: true } } });
