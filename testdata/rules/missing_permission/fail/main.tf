# The role grants routing:queue:view; adding codes to a queue needs routing:queue:edit.
resource "genesyscloud_integration_action" "add_code" {
  name           = "Add wrap-up code to queue"
  category       = "Routing"
  integration_id = genesyscloud_integration.data_actions.id
  config_request {
    request_type         = "POST"
    request_url_template = "/api/v2/routing/queues/$${input.queueId}/wrapupcodes"
    request_template     = "[{\"id\": \"$${input.codeId}\"}]"
  }
}
