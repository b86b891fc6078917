resource "genesyscloud_auth_role" "reader" {
  name = "Queue reader"
}

resource "genesyscloud_oauth_client" "data_actions" {
  name                  = "Data actions"
  authorized_grant_type = "CLIENT-CREDENTIALS"
  scopes                = ["routing:readonly"]
  roles {
    role_id = genesyscloud_auth_role.reader.id
  }
}
