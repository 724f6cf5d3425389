CREATE SCHEMA "medical_insurance";
--> statement-breakpoint
CREATE TABLE "medical_insurance"."applications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"elder_ref" text NOT NULL,
	"status" text NOT NULL,
	"referral_ids" jsonb NOT NULL,
	"source" text NOT NULL,
	"applied_at" timestamp with time zone NOT NULL,
	"applied_by" text NOT NULL,
	"grade" integer,
	"refusal_ground" text,
	"decided_at" timestamp with time zone,
	"reapply_from" date,
	"notice_ends_at" timestamp with time zone,
	"objection_reason" text,
	"effective_at" timestamp with time zone,
	"effective_from" date,
	"care_mode" text,
	"provider_institution_id" uuid,
	"hospital_level" integer,
	"benefits_from" date,
	"reassessment_due_at" timestamp with time zone,
	"end_reason" text,
	"ended_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "medical_insurance"."assessments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"assessed_on" date NOT NULL,
	"assessors" jsonb NOT NULL,
	"answers" jsonb NOT NULL,
	"grade" integer NOT NULL,
	"result" jsonb NOT NULL,
	"rules_version" text NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "medical_insurance"."audit_log" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "medical_insurance"."audit_log_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"role" text NOT NULL,
	"action" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"outcome" text NOT NULL,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "medical_insurance"."home_sick_bed_filings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"elder_ref" text NOT NULL,
	"institution_id" uuid NOT NULL,
	"referral_id" uuid,
	"valid_from" date NOT NULL,
	"filed_by" text NOT NULL,
	"filed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "medical_insurance"."inbox" (
	"consumer" text NOT NULL,
	"message_id" uuid NOT NULL,
	"type" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_message_id_pk" PRIMARY KEY("consumer","message_id")
);
--> statement-breakpoint
CREATE TABLE "medical_insurance"."outbox" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "medical_insurance"."outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"id" uuid NOT NULL,
	"topic" text NOT NULL,
	"key" text NOT NULL,
	"type" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "outbox_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "medical_insurance"."timers" (
	"key" text PRIMARY KEY NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"topic" text NOT NULL,
	"message_key" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "medical_insurance"."assessments" ADD CONSTRAINT "assessments_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "medical_insurance"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_one_live_per_elder" ON "medical_insurance"."applications" USING btree ("elder_ref") WHERE status not in ('refused', 'not-eligible', 'ended');--> statement-breakpoint
CREATE INDEX "applications_elder_idx" ON "medical_insurance"."applications" USING btree ("elder_ref","applied_at");--> statement-breakpoint
CREATE INDEX "applications_queue_idx" ON "medical_insurance"."applications" USING btree ("status","applied_at");--> statement-breakpoint
CREATE INDEX "assessments_application_idx" ON "medical_insurance"."assessments" USING btree ("application_id","recorded_at");--> statement-breakpoint
CREATE INDEX "audit_object_idx" ON "medical_insurance"."audit_log" USING btree ("object_type","object_id","at");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "medical_insurance"."audit_log" USING btree ("actor","at");--> statement-breakpoint
CREATE UNIQUE INDEX "home_sick_bed_filings_elder_institution" ON "medical_insurance"."home_sick_bed_filings" USING btree ("elder_ref","institution_id");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "medical_insurance"."outbox" USING btree ("seq") WHERE published_at is null;--> statement-breakpoint
CREATE INDEX "timers_due_idx" ON "medical_insurance"."timers" USING btree ("due_at") WHERE fired_at is null;