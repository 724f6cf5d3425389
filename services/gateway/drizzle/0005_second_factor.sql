CREATE TABLE "gateway"."password_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"password_hash" text NOT NULL,
	"set_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway"."recovery_codes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "recovery_codes_code_hash_unique" UNIQUE("code_hash")
);
--> statement-breakpoint
ALTER TABLE "gateway"."users" ADD COLUMN "password_changed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "gateway"."users" ADD COLUMN "totp_secret_sealed" text;--> statement-breakpoint
ALTER TABLE "gateway"."users" ADD COLUMN "totp_pending_sealed" text;--> statement-breakpoint
ALTER TABLE "gateway"."users" ADD COLUMN "totp_enabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "gateway"."users" ADD COLUMN "totp_last_step" bigint;--> statement-breakpoint
CREATE INDEX "password_history_user_idx" ON "gateway"."password_history" USING btree ("user_id","set_at");--> statement-breakpoint
CREATE INDEX "recovery_codes_user_idx" ON "gateway"."recovery_codes" USING btree ("user_id");