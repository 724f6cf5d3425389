ALTER TABLE "medical_insurance"."assessments" ALTER COLUMN "answers" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "medical_insurance"."assessments" ADD COLUMN "answers_sealed" text;