import { bedServiceBehaviour } from '@fbl/testing/bed-service-suite';
import { BED_POLICIES } from '@fbl/bed-inventory';

bedServiceBehaviour({ policy: BED_POLICIES['care'], institutionKind: 'care-home', unit: { kind: 'bed', attributes: { nursingType: true } } });
