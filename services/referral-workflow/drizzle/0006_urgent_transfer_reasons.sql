CREATE TABLE "referral"."transfer_reasons" (
	"referral_id" uuid PRIMARY KEY NOT NULL,
	"transfer_id" uuid NOT NULL,
	"reason_sealed" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "referral"."transfer_reasons" ADD CONSTRAINT "transfer_reasons_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "referral"."referrals"("id") ON DELETE no action ON UPDATE no action;