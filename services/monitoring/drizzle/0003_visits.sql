CREATE TABLE "monitoring"."statement_lines" (
	"statement_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"correction_of" uuid,
	"institution_id" uuid NOT NULL,
	"month" date NOT NULL,
	"elder_ref" text NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"entitled_minutes" bigint NOT NULL,
	"delivered_minutes" bigint NOT NULL,
	"amount_fen" bigint NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	CONSTRAINT "statement_lines_statement_id_line_pk" PRIMARY KEY("statement_id","line")
);
--> statement-breakpoint
CREATE TABLE "monitoring"."tanfangs" (
	"tanfang_id" uuid PRIMARY KEY NOT NULL,
	"elder_ref" text NOT NULL,
	"month" date NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring"."visits" (
	"visit_id" uuid PRIMARY KEY NOT NULL,
	"elder_ref" text NOT NULL,
	"county" text NOT NULL,
	"city" text NOT NULL,
	"institution_id" uuid,
	"bed_type" text,
	"plan_id" uuid,
	"tanfang_id" uuid,
	"purpose" text NOT NULL,
	"channel" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"checked_in_at" timestamp with time zone,
	"minutes" integer
);
--> statement-breakpoint
CREATE INDEX "statement_lines_month_idx" ON "monitoring"."statement_lines" USING btree ("month","county","institution_id");--> statement-breakpoint
CREATE INDEX "tanfangs_month_idx" ON "monitoring"."tanfangs" USING btree ("month","county");--> statement-breakpoint
CREATE INDEX "tanfangs_elder_idx" ON "monitoring"."tanfangs" USING btree ("elder_ref","month");--> statement-breakpoint
CREATE INDEX "visits_window_idx" ON "monitoring"."visits" USING btree ("window_end","county","bed_type");--> statement-breakpoint
CREATE INDEX "visits_tanfang_idx" ON "monitoring"."visits" USING btree ("tanfang_id");--> statement-breakpoint
CREATE INDEX "visits_elder_checked_in_idx" ON "monitoring"."visits" USING btree ("elder_ref","checked_in_at");