resource "genesyscloud_oauth_client" "wrapup_app" {
  name                  = "Wrap-up app"
  authorized_grant_type = "CODE"
  registered_redirect_uris = ["https://example.com/callback"]
  scopes                = ["conversations", "routing:readonly", "analytics:readonly", "user-basic-info"]
}
