import { bedServiceBehaviour } from '@fbl/testing/bed-service-suite';
import { BED_POLICIES } from '@fbl/bed-inventory';

bedServiceBehaviour({ policy: BED_POLICIES['home-care'], institutionKind: 'home-care-provider', unit: { kind: 'slot', attributes: { careLevel: 'standard' } } });
