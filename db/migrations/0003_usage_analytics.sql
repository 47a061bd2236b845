CREATE TABLE "usage_daily" (
	"organization_id" uuid NOT NULL,
	"day" date NOT NULL,
	"api_key_id" uuid NOT NULL,
	"endpoint" text DEFAULT '' NOT NULL,
	"requests" bigint NOT NULL,
	"credits" bigint NOT NULL,
	CONSTRAINT "usage_daily_organization_id_day_api_key_id_endpoint_pk" PRIMARY KEY("organization_id","day","api_key_id","endpoint")
);
--> statement-breakpoint
DROP INDEX "usage_events_organization_idx";--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "forecast_alerted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "notify_low_credit" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "notify_forecast" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "notify_receipts" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "usage_events_organization_time_idx" ON "usage_events" USING btree ("organization_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "usage_events_organization_credits_idx" ON "usage_events" USING btree ("organization_id","credits","id");--> statement-breakpoint
INSERT INTO "usage_daily" ("organization_id", "day", "api_key_id", "endpoint", "requests", "credits")
SELECT "organization_id", ("occurred_at" AT TIME ZONE 'UTC')::date, "api_key_id", coalesce("endpoint", ''), count(*), sum("credits")
FROM "usage_events" GROUP BY 1, 2, 3, 4;
