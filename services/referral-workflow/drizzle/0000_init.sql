CREATE SCHEMA "referral";
--> statement-breakpoint
CREATE TABLE "referral"."availability" (
	"institution_id" uuid NOT NULL,
	"bed_type" text NOT NULL,
	"sequence" integer NOT NULL,
	"name" text NOT NULL,
	"division_code" text NOT NULL,
	"capabilities" jsonb NOT NULL,
	"service_area" jsonb NOT NULL,
	"green_channel_partners" jsonb NOT NULL,
	"units" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "availability_institution_id_bed_type_pk" PRIMARY KEY("institution_id","bed_type")
);
--> statement-breakpoint
CREATE TABLE "referral"."elder_facts" (
	"elder_ref" text PRIMARY KEY NOT NULL,
	"facts" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral"."inbox" (
	"consumer" text NOT NULL,
	"message_id" uuid NOT NULL,
	"type" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_message_id_pk" PRIMARY KEY("consumer","message_id")
);
--> statement-breakpoint
CREATE TABLE "referral"."match_runs" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "referral"."match_runs_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"referral_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"widened" integer NOT NULL,
	"result" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral"."offers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"referral_id" uuid NOT NULL,
	"institution_id" uuid NOT NULL,
	"bed_type" text NOT NULL,
	"rank" integer NOT NULL,
	"status" text NOT NULL,
	"reason_code" text,
	"urgency" text NOT NULL,
	"offered_at" timestamp with time zone NOT NULL,
	"respond_by" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "referral"."outbox" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "referral"."outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
CREATE TABLE "referral"."referrals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"machine_version" integer NOT NULL,
	"state" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"urgency" text NOT NULL,
	"elder_ref" text NOT NULL,
	"origin_institution_id" uuid NOT NULL,
	"origin_admission_id" uuid,
	"parent_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral"."timeline" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "referral"."timeline_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"referral_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"event" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor" text NOT NULL,
	"caused_by" text NOT NULL,
	"detail" text
);
--> statement-breakpoint
CREATE TABLE "referral"."timers" (
	"key" text PRIMARY KEY NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"topic" text NOT NULL,
	"message_key" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "referral"."match_runs" ADD CONSTRAINT "match_runs_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "referral"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral"."offers" ADD CONSTRAINT "offers_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "referral"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral"."timeline" ADD CONSTRAINT "timeline_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "referral"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "availability_type_idx" ON "referral"."availability" USING btree ("bed_type");--> statement-breakpoint
CREATE INDEX "offers_institution_idx" ON "referral"."offers" USING btree ("institution_id","status");--> statement-breakpoint
CREATE INDEX "offers_referral_idx" ON "referral"."offers" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "referral"."outbox" USING btree ("seq") WHERE published_at is null;--> statement-breakpoint
CREATE INDEX "referrals_state_idx" ON "referral"."referrals" USING btree ("state");--> statement-breakpoint
CREATE INDEX "referrals_elder_idx" ON "referral"."referrals" USING btree ("elder_ref");--> statement-breakpoint
CREATE INDEX "referrals_origin_idx" ON "referral"."referrals" USING btree ("origin_institution_id","created_at");--> statement-breakpoint
CREATE INDEX "referrals_origin_stay_idx" ON "referral"."referrals" USING btree ("origin_admission_id");--> statement-breakpoint
CREATE INDEX "timeline_referral_idx" ON "referral"."timeline" USING btree ("referral_id","seq");--> statement-breakpoint
CREATE INDEX "timers_due_idx" ON "referral"."timers" USING btree ("due_at") WHERE fired_at is null;