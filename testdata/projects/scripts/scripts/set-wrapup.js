// Agent add-on: sets the wrap-up code chosen in the CRM (written from a forum answer).
const platformClient = require('purecloud-platform-client-v2');
const axios = require('axios');

async function setWrapup(conversationId, codeId) {
  // Invented endpoint and method.
  await axios.patch(`https://api.mypurecloud.ie/api/v2/conversations/${conversationId}`, { wrapupCode: codeId });
  await fetch(`/api/v2/conversations/voice/${conversationId}/wrapup`, { method: 'POST' });
  // Invented SDK namespace.
  await platformClient.wrapup.update(conversationId, codeId);
}

async function setWrapupRight(conversationId, participantId, communicationId, codeId) {
  const api = new platformClient.ConversationsApi();
  await api.postConversationsCallParticipantCommunicationWrapup(conversationId, participantId, communicationId, { code: codeId });
  await axios.patch(`/api/v2/conversations/${conversationId}/participants/${participantId}`, { wrapup: { code: codeId } });
}
