# Who automation runs as.
resource "genesyscloud_auth_role" "data_actions" {
  name        = "Data actions"
  description = "Reads routing configuration for CRM lookups"
  permission_policies {
    domain      = "routing"
    entity_name = "queue"
    action_set  = ["view"]
  }
  permission_policies {
    domain      = "routing"
    entity_name = "wrapupCode"
    action_set  = ["view"]
  }
}

resource "genesyscloud_oauth_client" "data_actions" {
  name                          = "Data actions client"
  authorized_grant_type         = "CLIENT-CREDENTIALS"
  access_token_validity_seconds = 86400
  roles {
    role_id     = genesyscloud_auth_role.data_actions.id
    division_id = data.genesyscloud_auth_division_home.home.id
  }
}

# The agent desktop add-on that sets wrap-up codes from the CRM.
resource "genesyscloud_oauth_client" "agent_addon" {
  name                     = "CRM agent add-on"
  authorized_grant_type    = "CODE"
  registered_redirect_uris = ["https://crm.acme-insurance.example/genesys/callback"]
  scopes                   = ["conversation:write", "routing:readonly", "user-basic-info"]
}
