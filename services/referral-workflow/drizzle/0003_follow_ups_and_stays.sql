CREATE TABLE "referral"."elder_stays" (
	"admission_id" uuid PRIMARY KEY NOT NULL,
	"elder_ref" text NOT NULL,
	"institution_id" uuid NOT NULL,
	"bed_type" text NOT NULL,
	"admitted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral"."follow_ups" (
	"referral_id" uuid PRIMARY KEY NOT NULL,
	"sealed" text NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_by_name" text,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "referral"."referrals" ADD COLUMN "moves_from" jsonb;--> statement-breakpoint
ALTER TABLE "referral"."follow_ups" ADD CONSTRAINT "follow_ups_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "referral"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "elder_stays_elder_idx" ON "referral"."elder_stays" USING btree ("elder_ref");