import PureCloudPlatformClientV2
import requests

def codes(base, queue_id):
    # Real: the queue's codes.
    requests.get(f"{base}/api/v2/routing/queues/{queue_id}/wrapupcodes")
    # Invented.
    requests.get(f"{base}/api/v2/conversations/wrapupcodes")
    api = PureCloudPlatformClientV2.ConversationsApi()
    api.post_conversations_conversations_id_wrapup("c", body={})
