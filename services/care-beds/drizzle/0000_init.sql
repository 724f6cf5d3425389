CREATE SCHEMA "care_beds";
--> statement-breakpoint
CREATE TABLE "care_beds"."beds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"institution_id" uuid NOT NULL,
	"label" text NOT NULL,
	"ordinal" integer NOT NULL,
	"status" text DEFAULT 'free' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_beds"."holds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"referral_id" uuid NOT NULL,
	"institution_id" uuid NOT NULL,
	"bed_id" uuid NOT NULL,
	"status" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"admitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_beds"."inbox" (
	"consumer" text NOT NULL,
	"message_id" uuid NOT NULL,
	"type" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_message_id_pk" PRIMARY KEY("consumer","message_id")
);
--> statement-breakpoint
CREATE TABLE "care_beds"."institutions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"division_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_beds"."outbox" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "care_beds"."outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
CREATE TABLE "care_beds"."timers" (
	"key" text PRIMARY KEY NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"topic" text NOT NULL,
	"message_key" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "care_beds"."beds" ADD CONSTRAINT "beds_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "care_beds"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_beds"."holds" ADD CONSTRAINT "holds_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "care_beds"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_beds"."holds" ADD CONSTRAINT "holds_bed_id_beds_id_fk" FOREIGN KEY ("bed_id") REFERENCES "care_beds"."beds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "beds_free_idx" ON "care_beds"."beds" USING btree ("institution_id","ordinal") WHERE status = 'free';--> statement-breakpoint
CREATE UNIQUE INDEX "holds_active_bed_uq" ON "care_beds"."holds" USING btree ("bed_id") WHERE status = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "holds_active_referral_uq" ON "care_beds"."holds" USING btree ("referral_id") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "care_beds"."outbox" USING btree ("seq") WHERE published_at is null;--> statement-breakpoint
CREATE INDEX "timers_due_idx" ON "care_beds"."timers" USING btree ("due_at") WHERE fired_at is null;