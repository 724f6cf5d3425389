import { bedServiceBehaviour } from '@fbl/testing/bed-service-suite';
import { policy } from '../src/policy.js';

bedServiceBehaviour({ policy, institutionKind: 'community-health-centre', unit: { kind: 'slot', attributes: { team: '家医一队' } } });
