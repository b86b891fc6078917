resource "genesyscloud_auth_role" "reader" {
  name = "Queue reader"
  permission_policies {
    domain      = "routing"
    entity_name = "queue"
    action_set  = ["view"]
  }
}

resource "genesyscloud_oauth_client" "data_actions" {
  name                  = "Data actions"
  authorized_grant_type = "CLIENT-CREDENTIALS"
  roles {
    role_id     = genesyscloud_auth_role.reader.id
    division_id = "*"
  }
}

# A user-facing grant needs no roles.
resource "genesyscloud_oauth_client" "app" {
  name                  = "App"
  authorized_grant_type = "CODE"
  scopes                = ["routing"]
}
