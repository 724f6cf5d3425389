ALTER TABLE "medical_insurance"."applications" ADD COLUMN "number" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "medical_insurance"."applications_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "medical_insurance"."applications" ADD COLUMN "ended_on" date;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_number_idx" ON "medical_insurance"."applications" USING btree ("number");--> statement-breakpoint
UPDATE "medical_insurance"."applications" SET "ended_on" = ((("ended_at" AT TIME ZONE 'UTC') + interval '8 hours')::date) WHERE "ended_at" IS NOT NULL;
