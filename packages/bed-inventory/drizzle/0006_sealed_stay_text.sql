ALTER TABLE "bed_inventory"."episode_reviews" ALTER COLUMN "condition" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "bed_inventory"."episode_reviews" ALTER COLUMN "decision" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "bed_inventory"."transfers" ALTER COLUMN "reason" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "bed_inventory"."episode_reviews" ADD COLUMN "condition_sealed" text;--> statement-breakpoint
ALTER TABLE "bed_inventory"."episode_reviews" ADD COLUMN "decision_sealed" text;--> statement-breakpoint
ALTER TABLE "bed_inventory"."stays" ADD COLUMN "service_plan_sealed" text;--> statement-breakpoint
ALTER TABLE "bed_inventory"."stays" ADD COLUMN "discharge_reason_sealed" text;--> statement-breakpoint
ALTER TABLE "bed_inventory"."transfers" ADD COLUMN "reason_sealed" text;