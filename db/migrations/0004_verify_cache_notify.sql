-- Every instance's verify cache (lib/keys/verify-cache.ts) hears of each change to a key's verify state, made by
-- any writer, when it commits: NOTIFY is transactional. last_used_at is not among the columns, so the frequent
-- last-used writes notify nothing.
CREATE OR REPLACE FUNCTION portal_notify_api_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('portal_cache', json_build_object('keys', json_build_array(
    CASE WHEN TG_OP = 'INSERT' THEN NEW.key_hash ELSE OLD.key_hash END,
    CASE WHEN TG_OP = 'DELETE' THEN OLD.key_hash ELSE NEW.key_hash END))::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER api_keys_notify_cache
AFTER INSERT OR DELETE OR UPDATE OF key_hash, organization_id, revoked_at, expires_at, scopes, rate_limit_per_minute, mirror_version
ON api_keys FOR EACH ROW EXECUTE FUNCTION portal_notify_api_key_change();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION portal_notify_organization_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('portal_cache', json_build_object('organizations', json_build_array(NEW.id))::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER organizations_notify_cache
AFTER UPDATE OF disabled_at ON organizations FOR EACH ROW
WHEN (OLD.disabled_at IS DISTINCT FROM NEW.disabled_at)
EXECUTE FUNCTION portal_notify_organization_change();
