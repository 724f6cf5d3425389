import { bedServiceBehaviour } from '@fbl/testing/bed-service-suite';
import { policy } from '../src/policy.js';

bedServiceBehaviour({ policy, institutionKind: 'home-care-provider', unit: { kind: 'slot', attributes: { careLevel: 'standard' } } });
