import { homeVisitsBehaviour } from '@fbl/testing/home-visits-suite';

homeVisitsBehaviour('home-sick');
