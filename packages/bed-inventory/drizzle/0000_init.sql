CREATE SCHEMA "bed_inventory";
--> statement-breakpoint
CREATE TABLE "bed_inventory"."holds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"referral_id" uuid NOT NULL,
	"elder_ref" text NOT NULL,
	"institution_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"status" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "bed_inventory"."inbox" (
	"consumer" text NOT NULL,
	"message_id" uuid NOT NULL,
	"type" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_message_id_pk" PRIMARY KEY("consumer","message_id")
);
--> statement-breakpoint
CREATE TABLE "bed_inventory"."institutions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"credit_code" text NOT NULL,
	"credit_code_overridden" boolean DEFAULT false NOT NULL,
	"credit_code_override_reason" text,
	"division_code" text NOT NULL,
	"kind" text NOT NULL,
	"ownership" text NOT NULL,
	"capabilities" jsonb NOT NULL,
	"service_area" jsonb NOT NULL,
	"green_channel_partners" jsonb NOT NULL,
	"availability_sequence" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "institutions_credit_code_unique" UNIQUE("credit_code")
);
--> statement-breakpoint
CREATE TABLE "bed_inventory"."outbox" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bed_inventory"."outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
CREATE TABLE "bed_inventory"."stays" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hold_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"elder_ref" text NOT NULL,
	"institution_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"status" text NOT NULL,
	"admitted_at" timestamp with time zone NOT NULL,
	"kept_until" timestamp with time zone,
	"review_due_at" timestamp with time zone,
	"service_plan" jsonb,
	"discharged_at" timestamp with time zone,
	"discharge_reason" text
);
--> statement-breakpoint
CREATE TABLE "bed_inventory"."timers" (
	"key" text PRIMARY KEY NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"topic" text NOT NULL,
	"message_key" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "bed_inventory"."transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"stay_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"bed_kept" boolean NOT NULL,
	"requested_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bed_inventory"."units" (
	"id" uuid PRIMARY KEY NOT NULL,
	"institution_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"ordinal" integer NOT NULL,
	"attributes" jsonb NOT NULL,
	"status" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bed_inventory"."holds" ADD CONSTRAINT "holds_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "bed_inventory"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bed_inventory"."holds" ADD CONSTRAINT "holds_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "bed_inventory"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bed_inventory"."stays" ADD CONSTRAINT "stays_hold_id_holds_id_fk" FOREIGN KEY ("hold_id") REFERENCES "bed_inventory"."holds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bed_inventory"."stays" ADD CONSTRAINT "stays_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "bed_inventory"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bed_inventory"."stays" ADD CONSTRAINT "stays_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "bed_inventory"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bed_inventory"."transfers" ADD CONSTRAINT "transfers_stay_id_stays_id_fk" FOREIGN KEY ("stay_id") REFERENCES "bed_inventory"."stays"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bed_inventory"."units" ADD CONSTRAINT "units_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "bed_inventory"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "holds_active_unit_uq" ON "bed_inventory"."holds" USING btree ("unit_id") WHERE status = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "holds_active_referral_uq" ON "bed_inventory"."holds" USING btree ("referral_id") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "bed_inventory"."outbox" USING btree ("seq") WHERE published_at is null;--> statement-breakpoint
CREATE INDEX "stays_institution_idx" ON "bed_inventory"."stays" USING btree ("institution_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "stays_hold_uq" ON "bed_inventory"."stays" USING btree ("hold_id");--> statement-breakpoint
CREATE INDEX "timers_due_idx" ON "bed_inventory"."timers" USING btree ("due_at") WHERE fired_at is null;--> statement-breakpoint
CREATE INDEX "units_free_idx" ON "bed_inventory"."units" USING btree ("institution_id","ordinal") WHERE status = 'free';--> statement-breakpoint
CREATE INDEX "units_institution_idx" ON "bed_inventory"."units" USING btree ("institution_id");