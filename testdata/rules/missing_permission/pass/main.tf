# Reading a queue's codes needs routing:queue:view, which the role grants.
resource "genesyscloud_integration_action" "list_codes" {
  name           = "List queue wrap-up codes"
  category       = "Routing"
  integration_id = genesyscloud_integration.data_actions.id
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/routing/queues/$${input.queueId}/wrapupcodes"
  }
}
