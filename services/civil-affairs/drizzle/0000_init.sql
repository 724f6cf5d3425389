CREATE SCHEMA "civil_affairs";
--> statement-breakpoint
CREATE TABLE "civil_affairs"."assessment_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"elder_id" uuid NOT NULL,
	"referral_id" uuid,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"assessment_id" uuid
);
--> statement-breakpoint
CREATE TABLE "civil_affairs"."assessments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"elder_id" uuid NOT NULL,
	"assessed_on" date NOT NULL,
	"reason" text NOT NULL,
	"assessors" jsonb NOT NULL,
	"answers_sealed" text NOT NULL,
	"level" integer NOT NULL,
	"total" integer NOT NULL,
	"result" jsonb NOT NULL,
	"rules_version" text NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "civil_affairs"."audit_log" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "civil_affairs"."audit_log_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
CREATE TABLE "civil_affairs"."consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"elder_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"granted" boolean NOT NULL,
	"given_by" text NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "civil_affairs"."elders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"id_number_sealed" text NOT NULL,
	"id_number_hash" text NOT NULL,
	"id_kind" text NOT NULL,
	"name_sealed" text NOT NULL,
	"gender" text NOT NULL,
	"birth_date_sealed" text NOT NULL,
	"birth_year" integer NOT NULL,
	"phone_sealed" text,
	"address_sealed" text NOT NULL,
	"division_code" text NOT NULL,
	"guardian_sealed" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "elders_id_number_hash_unique" UNIQUE("id_number_hash")
);
--> statement-breakpoint
CREATE TABLE "civil_affairs"."hardships" (
	"id" uuid PRIMARY KEY NOT NULL,
	"elder_id" uuid NOT NULL,
	"status" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "civil_affairs"."inbox" (
	"consumer" text NOT NULL,
	"message_id" uuid NOT NULL,
	"type" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_message_id_pk" PRIMARY KEY("consumer","message_id")
);
--> statement-breakpoint
CREATE TABLE "civil_affairs"."outbox" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "civil_affairs"."outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
CREATE TABLE "civil_affairs"."timers" (
	"key" text PRIMARY KEY NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"topic" text NOT NULL,
	"message_key" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "civil_affairs"."assessments" ADD CONSTRAINT "assessments_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "civil_affairs"."elders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "civil_affairs"."consents" ADD CONSTRAINT "consents_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "civil_affairs"."elders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "civil_affairs"."hardships" ADD CONSTRAINT "hardships_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "civil_affairs"."elders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessment_requests_open_idx" ON "civil_affairs"."assessment_requests" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "assessments_elder_idx" ON "civil_affairs"."assessments" USING btree ("elder_id","assessed_on");--> statement-breakpoint
CREATE INDEX "audit_object_idx" ON "civil_affairs"."audit_log" USING btree ("object_type","object_id","at");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "civil_affairs"."audit_log" USING btree ("actor","at");--> statement-breakpoint
CREATE INDEX "elders_division_idx" ON "civil_affairs"."elders" USING btree ("division_code");--> statement-breakpoint
CREATE INDEX "hardships_elder_idx" ON "civil_affairs"."hardships" USING btree ("elder_id");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "civil_affairs"."outbox" USING btree ("seq") WHERE published_at is null;--> statement-breakpoint
CREATE INDEX "timers_due_idx" ON "civil_affairs"."timers" USING btree ("due_at") WHERE fired_at is null;