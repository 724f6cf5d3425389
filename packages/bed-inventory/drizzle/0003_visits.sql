CREATE TABLE "bed_inventory"."audit_chain" (
	"position" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bed_inventory"."audit_chain_position_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"log" text NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_chain_log_seq" UNIQUE("log","seq")
);
--> statement-breakpoint
CREATE TABLE "bed_inventory"."audit_chain_state" (
	"log" text NOT NULL,
	"last_xid" "xid8",
	"last_seq" bigint,
	"position" bigint,
	"head" text,
	"anchor_position" bigint,
	"anchor_hash" text,
	CONSTRAINT "audit_chain_state_pk" PRIMARY KEY("log")
);
--> statement-breakpoint
CREATE TABLE "bed_inventory"."audit_log" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bed_inventory"."audit_log_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"role" text NOT NULL,
	"action" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"outcome" text NOT NULL,
	"detail" jsonb,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bed_inventory"."visit_photos" (
	"id" uuid PRIMARY KEY NOT NULL,
	"visit_id" uuid NOT NULL,
	"sealed" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bed_inventory"."visit_plan_versions" (
	"plan_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"changed_by" text NOT NULL,
	"changed_by_name" text,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "visit_plan_versions_plan_id_version_pk" PRIMARY KEY("plan_id","version")
);
--> statement-breakpoint
CREATE TABLE "bed_inventory"."visit_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"stay_id" uuid NOT NULL,
	"institution_id" uuid NOT NULL,
	"elder_ref" text NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"scheduled_until" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "visit_plans_stay_id_unique" UNIQUE("stay_id")
);
--> statement-breakpoint
CREATE TABLE "bed_inventory"."visits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"plan_version" integer NOT NULL,
	"stay_id" uuid NOT NULL,
	"institution_id" uuid NOT NULL,
	"elder_ref" text NOT NULL,
	"division_code" text NOT NULL,
	"purpose" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"grace_minutes" integer NOT NULL,
	"worker_id" text NOT NULL,
	"worker_name" text,
	"items" jsonb NOT NULL,
	"status" text NOT NULL,
	"code_sealed" text NOT NULL,
	"checked_in_at" timestamp with time zone,
	"checked_in_by" text,
	"checked_out_at" timestamp with time zone,
	"late" boolean,
	"minutes" integer,
	"items_done" jsonb,
	"confirmation" text,
	"signature_sealed" text,
	"notes_sealed" text,
	"missed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "bed_inventory"."visit_photos" ADD CONSTRAINT "visit_photos_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "bed_inventory"."visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bed_inventory"."visit_plan_versions" ADD CONSTRAINT "visit_plan_versions_plan_id_visit_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "bed_inventory"."visit_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bed_inventory"."visits" ADD CONSTRAINT "visits_plan_id_visit_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "bed_inventory"."visit_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_chain_log_idx" ON "bed_inventory"."audit_chain" USING btree ("log","position");--> statement-breakpoint
CREATE INDEX "audit_object_idx" ON "bed_inventory"."audit_log" USING btree ("object_type","object_id","at");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "bed_inventory"."audit_log" USING btree ("actor","at");--> statement-breakpoint
CREATE INDEX "audit_xid_idx" ON "bed_inventory"."audit_log" USING btree ("xid","seq");--> statement-breakpoint
CREATE INDEX "visit_photos_visit_idx" ON "bed_inventory"."visit_photos" USING btree ("visit_id");--> statement-breakpoint
CREATE INDEX "visits_worker_idx" ON "bed_inventory"."visits" USING btree ("worker_id","window_start");--> statement-breakpoint
CREATE INDEX "visits_institution_idx" ON "bed_inventory"."visits" USING btree ("institution_id","window_start");--> statement-breakpoint
CREATE INDEX "visits_plan_idx" ON "bed_inventory"."visits" USING btree ("plan_id","status","window_start");