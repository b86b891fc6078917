resource "genesyscloud_integration_action" "codes" {
  name           = "List wrap-up codes"
  category       = "Routing"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "https://api.mypurecloud.ie/api/v2/routing/wrapupcodes?pageSize=100"
  }
}

# Not the Platform API: not checked.
resource "genesyscloud_integration_action" "crm" {
  name           = "CRM lookup"
  category       = "CRM"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "https://crm.example.com/api/v2/customers/$${input.id}"
  }
}
