import { bedServiceBehaviour } from '@fbl/testing/bed-service-suite';
import { BED_POLICIES } from '@fbl/bed-inventory';

bedServiceBehaviour({ policy: BED_POLICIES['home-sick'], institutionKind: 'community-health-centre', unit: { kind: 'slot', attributes: { team: '家医一队' } } });
