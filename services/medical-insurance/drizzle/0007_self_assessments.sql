CREATE TABLE "medical_insurance"."self_assessments" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"filled_by" text NOT NULL,
	"answers_sealed" text NOT NULL,
	"grade" integer NOT NULL,
	"rules_version" text NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "medical_insurance"."self_assessments" ADD CONSTRAINT "self_assessments_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "medical_insurance"."applications"("id") ON DELETE no action ON UPDATE no action;