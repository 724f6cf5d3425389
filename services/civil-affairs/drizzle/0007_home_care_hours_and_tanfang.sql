CREATE TABLE "civil_affairs"."care_statements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"institution_id" uuid NOT NULL,
	"month" text NOT NULL,
	"correction_of" uuid,
	"rules_version" text NOT NULL,
	"rate_fen" integer NOT NULL,
	"lines" jsonb NOT NULL,
	"issued_by" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "civil_affairs"."elder_facts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"elder_id" uuid NOT NULL,
	"fact" text NOT NULL,
	"evidence_sealed" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "civil_affairs"."home_visits" (
	"visit_id" uuid PRIMARY KEY NOT NULL,
	"elder_ref" text NOT NULL,
	"division_code" text NOT NULL,
	"institution_id" uuid,
	"bed_type" text,
	"plan_id" uuid,
	"tanfang_id" uuid,
	"purpose" text NOT NULL,
	"channel" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"checked_in_at" timestamp with time zone NOT NULL,
	"checked_out_at" timestamp with time zone NOT NULL,
	"minutes" integer NOT NULL,
	"items" jsonb NOT NULL,
	"confirmation" text NOT NULL,
	"late" boolean NOT NULL,
	"month" text NOT NULL,
	"recorded_by" text
);
--> statement-breakpoint
CREATE TABLE "civil_affairs"."tanfang" (
	"id" uuid PRIMARY KEY NOT NULL,
	"elder_id" uuid NOT NULL,
	"month" text NOT NULL,
	"division_code" text NOT NULL,
	"categories" jsonb NOT NULL,
	"channel" text NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"assigned_to" text,
	"assigned_name" text,
	"visit_id" uuid,
	"visited_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "civil_affairs"."elder_facts" ADD CONSTRAINT "elder_facts_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "civil_affairs"."elders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "civil_affairs"."tanfang" ADD CONSTRAINT "tanfang_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "civil_affairs"."elders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_statements_institution_month_idx" ON "civil_affairs"."care_statements" USING btree ("institution_id","month","issued_at");--> statement-breakpoint
CREATE INDEX "elder_facts_elder_idx" ON "civil_affairs"."elder_facts" USING btree ("elder_id");--> statement-breakpoint
CREATE INDEX "elder_facts_fact_idx" ON "civil_affairs"."elder_facts" USING btree ("fact","valid_from");--> statement-breakpoint
CREATE INDEX "home_visits_institution_month_idx" ON "civil_affairs"."home_visits" USING btree ("institution_id","month");--> statement-breakpoint
CREATE INDEX "home_visits_elder_month_idx" ON "civil_affairs"."home_visits" USING btree ("elder_ref","month");--> statement-breakpoint
CREATE UNIQUE INDEX "tanfang_elder_month_uq" ON "civil_affairs"."tanfang" USING btree ("elder_id","month");--> statement-breakpoint
CREATE INDEX "tanfang_month_division_idx" ON "civil_affairs"."tanfang" USING btree ("month","division_code");--> statement-breakpoint
CREATE UNIQUE INDEX "care_statements_original_uq" ON "civil_affairs"."care_statements" USING btree ("institution_id","month") WHERE "correction_of" IS NULL;--> statement-breakpoint
CREATE FUNCTION "civil_affairs".care_statements_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'an issued statement is closed: corrections are new statements';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER care_statements_closed BEFORE UPDATE OR DELETE ON "civil_affairs"."care_statements"
  FOR EACH ROW EXECUTE FUNCTION "civil_affairs".care_statements_closed();
