ALTER TABLE "civil_affairs"."elders" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "civil_affairs"."elders" ADD COLUMN "erasure_ground" text;