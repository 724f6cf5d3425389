CREATE TABLE "civil_affairs"."carers" (
	"referral_id" uuid NOT NULL,
	"institution_id" uuid NOT NULL,
	"elder_id" uuid NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"until" timestamp with time zone,
	CONSTRAINT "carers_referral_id_institution_id_pk" PRIMARY KEY("referral_id","institution_id")
);
--> statement-breakpoint
CREATE INDEX "carers_elder_idx" ON "civil_affairs"."carers" USING btree ("elder_id","institution_id");