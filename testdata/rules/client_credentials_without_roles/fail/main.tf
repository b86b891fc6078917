resource "genesyscloud_oauth_client" "data_actions" {
  name                  = "Data actions"
  authorized_grant_type = "CLIENT-CREDENTIALS"
}
