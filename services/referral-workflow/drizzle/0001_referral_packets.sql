CREATE TABLE "referral"."attachment_contents" (
	"attachment_id" uuid PRIMARY KEY NOT NULL,
	"sealed" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral"."attachments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"referral_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"name_sealed" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_reason" text
);
--> statement-breakpoint
CREATE TABLE "referral"."audit_log" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "referral"."audit_log_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
CREATE TABLE "referral"."elder_profiles" (
	"elder_ref" text PRIMARY KEY NOT NULL,
	"gender" text NOT NULL,
	"birth_year" integer NOT NULL,
	"division_code" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral"."packet_consents" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "referral"."packet_consents_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"referral_id" uuid NOT NULL,
	"granted" boolean NOT NULL,
	"given_by" text NOT NULL,
	"giver_name_sealed" text,
	"method" text NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_by_name" text,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral"."packets" (
	"referral_id" uuid PRIMARY KEY NOT NULL,
	"sealed" text NOT NULL,
	"version" integer NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "referral"."match_runs" ALTER COLUMN "result" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "referral"."match_runs" ADD COLUMN "result_sealed" text;--> statement-breakpoint
ALTER TABLE "referral"."offers" ADD COLUMN "decline_note_sealed" text;--> statement-breakpoint
ALTER TABLE "referral"."referrals" ADD COLUMN "number" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "referral"."referrals_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "referral"."timeline" ADD COLUMN "actor_name" text;--> statement-breakpoint
ALTER TABLE "referral"."timeline" ADD COLUMN "actor_role" text;--> statement-breakpoint
ALTER TABLE "referral"."timeline" ADD COLUMN "actor_institution_id" uuid;--> statement-breakpoint
ALTER TABLE "referral"."attachment_contents" ADD CONSTRAINT "attachment_contents_attachment_id_attachments_id_fk" FOREIGN KEY ("attachment_id") REFERENCES "referral"."attachments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral"."attachments" ADD CONSTRAINT "attachments_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "referral"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral"."packet_consents" ADD CONSTRAINT "packet_consents_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "referral"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral"."packets" ADD CONSTRAINT "packets_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "referral"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_referral_idx" ON "referral"."attachments" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "audit_object_idx" ON "referral"."audit_log" USING btree ("object_type","object_id","at");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "referral"."audit_log" USING btree ("actor","at");--> statement-breakpoint
CREATE INDEX "packet_consents_referral_idx" ON "referral"."packet_consents" USING btree ("referral_id","seq");