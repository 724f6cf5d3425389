-- Runs once, when the postgres container initialises an empty data volume
-- (/docker-entrypoint-initdb.d). One database per service; each service runs its own
-- drizzle migrations into its database at start-up.
CREATE DATABASE care_beds;
CREATE DATABASE medical_beds;
CREATE DATABASE home_care_beds;
CREATE DATABASE home_sick_beds;
CREATE DATABASE hospice_beds;
CREATE DATABASE referral;
CREATE DATABASE civil_affairs;
CREATE DATABASE medical_insurance;
CREATE DATABASE monitoring;
CREATE DATABASE gateway;
