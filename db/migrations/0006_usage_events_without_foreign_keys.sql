ALTER TABLE "usage_events" DROP CONSTRAINT "usage_events_organization_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "usage_events" DROP CONSTRAINT "usage_events_api_key_id_api_keys_id_fk";
