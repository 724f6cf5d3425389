CREATE TABLE "civil_affairs"."waiting_list" (
	"id" uuid PRIMARY KEY NOT NULL,
	"elder_id" uuid NOT NULL,
	"home_institution_id" uuid NOT NULL,
	"status" text NOT NULL,
	"applied_at" timestamp with time zone NOT NULL,
	"assessment_due_at" timestamp with time zone NOT NULL,
	"priority_class" integer NOT NULL,
	"rules_version" text NOT NULL,
	"offers_refused" integer DEFAULT 0 NOT NULL,
	"offered_at" timestamp with time zone,
	"offered_institution_id" uuid,
	"ended_at" timestamp with time zone,
	"applied_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "civil_affairs"."waiting_list" ADD CONSTRAINT "waiting_list_elder_id_elders_id_fk" FOREIGN KEY ("elder_id") REFERENCES "civil_affairs"."elders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "waiting_list_home_idx" ON "civil_affairs"."waiting_list" USING btree ("home_institution_id","status","applied_at");--> statement-breakpoint
CREATE INDEX "waiting_list_elder_idx" ON "civil_affairs"."waiting_list" USING btree ("elder_id");