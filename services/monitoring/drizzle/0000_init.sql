CREATE SCHEMA "monitoring";
--> statement-breakpoint
CREATE TABLE "monitoring"."bed_days" (
	"day" date NOT NULL,
	"institution_id" uuid NOT NULL,
	"bed_type" text NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"total_ms" bigint NOT NULL,
	"open_ms" bigint NOT NULL,
	"occupied_ms" bigint NOT NULL,
	"nursing_ms" bigint NOT NULL,
	"dementia_ms" bigint NOT NULL,
	CONSTRAINT "bed_days_day_institution_id_bed_type_pk" PRIMARY KEY("day","institution_id","bed_type")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."bed_months" (
	"month" date NOT NULL,
	"institution_id" uuid NOT NULL,
	"bed_type" text NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"total_ms" bigint NOT NULL,
	"open_ms" bigint NOT NULL,
	"occupied_ms" bigint NOT NULL,
	"nursing_ms" bigint NOT NULL,
	"dementia_ms" bigint NOT NULL,
	CONSTRAINT "bed_months_month_institution_id_bed_type_pk" PRIMARY KEY("month","institution_id","bed_type")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."capacity_latest" (
	"institution_id" uuid NOT NULL,
	"bed_type" text NOT NULL,
	"sequence" integer NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"total" integer NOT NULL,
	"open" integer NOT NULL,
	"occupied" integer NOT NULL,
	"nursing" integer NOT NULL,
	"dementia" integer NOT NULL,
	CONSTRAINT "capacity_latest_institution_id_bed_type_pk" PRIMARY KEY("institution_id","bed_type")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."inbox" (
	"consumer" text NOT NULL,
	"message_id" uuid NOT NULL,
	"type" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_message_id_pk" PRIMARY KEY("consumer","message_id")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."institutions" (
	"institution_id" uuid NOT NULL,
	"bed_type" text NOT NULL,
	"name" text NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	CONSTRAINT "institutions_institution_id_bed_type_pk" PRIMARY KEY("institution_id","bed_type")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."offers" (
	"offer_id" uuid PRIMARY KEY NOT NULL,
	"referral_id" uuid NOT NULL,
	"institution_id" uuid NOT NULL,
	"bed_type" text NOT NULL,
	"urgent" boolean NOT NULL,
	"offered_at" timestamp with time zone NOT NULL,
	"respond_by" timestamp with time zone NOT NULL,
	"answer" text,
	"reason_code" text,
	"answered_at" timestamp with time zone,
	"not_selected" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring"."outbox" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "monitoring"."outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
CREATE TABLE "monitoring"."referrals" (
	"referral_id" uuid PRIMARY KEY NOT NULL,
	"elder_ref" text,
	"kind" text,
	"urgent" boolean DEFAULT false NOT NULL,
	"origin_institution_id" uuid,
	"origin_bed_type" text,
	"origin_county" text,
	"origin_city" text,
	"bed_type" text,
	"started_at" timestamp with time zone,
	"stage" text DEFAULT 'intake' NOT NULL,
	"stage_at" timestamp with time zone,
	"first_offer_at" timestamp with time zone,
	"first_response_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"arrived_at" timestamp with time zone,
	"placed_institution_id" uuid,
	"placed_bed_type" text,
	"closed_at" timestamp with time zone,
	"follow_up_late" boolean,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"escalations" integer DEFAULT 0 NOT NULL,
	"first_escalated_at" timestamp with time zone,
	"readmitted_at" timestamp with time zone,
	"assessed_at" timestamp with time zone,
	"ltci_decision" text,
	"ltci_decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "monitoring"."stays" (
	"admission_id" uuid PRIMARY KEY NOT NULL,
	"elder_ref" text NOT NULL,
	"institution_id" uuid NOT NULL,
	"bed_type" text NOT NULL,
	"referral_id" uuid,
	"admitted_at" timestamp with time zone NOT NULL,
	"discharged_at" timestamp with time zone,
	"discharge_reason" text
);
--> statement-breakpoint
CREATE TABLE "monitoring"."timers" (
	"key" text PRIMARY KEY NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"topic" text NOT NULL,
	"message_key" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "offers_offered_idx" ON "monitoring"."offers" USING btree ("offered_at","institution_id");--> statement-breakpoint
CREATE INDEX "offers_expired_idx" ON "monitoring"."offers" USING btree ("respond_by") WHERE answer = 'expired';--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "monitoring"."outbox" USING btree ("seq") WHERE published_at is null;--> statement-breakpoint
CREATE INDEX "referrals_started_idx" ON "monitoring"."referrals" USING btree ("started_at","origin_county","bed_type");--> statement-breakpoint
CREATE INDEX "referrals_city_started_idx" ON "monitoring"."referrals" USING btree ("origin_city","started_at");--> statement-breakpoint
CREATE INDEX "referrals_county_started_idx" ON "monitoring"."referrals" USING btree ("origin_county","started_at");--> statement-breakpoint
CREATE INDEX "referrals_elder_idx" ON "monitoring"."referrals" USING btree ("elder_ref");--> statement-breakpoint
CREATE INDEX "referrals_arrived_idx" ON "monitoring"."referrals" USING btree ("arrived_at");--> statement-breakpoint
CREATE INDEX "referrals_closed_idx" ON "monitoring"."referrals" USING btree ("closed_at");--> statement-breakpoint
CREATE INDEX "referrals_escalated_idx" ON "monitoring"."referrals" USING btree ("first_escalated_at");--> statement-breakpoint
CREATE INDEX "stays_elder_idx" ON "monitoring"."stays" USING btree ("elder_ref","bed_type","admitted_at");--> statement-breakpoint
CREATE INDEX "timers_due_idx" ON "monitoring"."timers" USING btree ("due_at") WHERE fired_at is null;