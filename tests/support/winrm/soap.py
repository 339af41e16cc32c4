# -*- coding: utf-8 -*-
"""WS-Management SOAP envelopes as the WinRM service reads and writes them.

Element names and namespaces are the ones pywinrm writes (winrm/protocol.py ``build_wsman_header``,
``open_shell``, ``run_command``, ``get_command_output_raw``) and reads back: it finds ``ShellId`` by
the ``Name`` attribute, ``CommandId``/``RelatesTo``/``ExitCode`` by tag suffix, streams by ``Name``
and ``CommandState/Done`` by the ``State`` attribute, and faults at
``s:Body/s:Fault/s:Detail/f:WSManFault[@Code]`` (``Protocol.send_message``).
"""

from __future__ import annotations

import base64
import uuid
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

NS = {
    's': 'http://www.w3.org/2003/05/soap-envelope',
    'a': 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
    'w': 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
    'x': 'http://schemas.xmlsoap.org/ws/2004/09/transfer',
    'rsp': 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
    'f': 'http://schemas.microsoft.com/wbem/wsman/1/wsmanfault',
}
SHELL_URI = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell'
CMD_RESOURCE = SHELL_URI + '/cmd'
ACTIONS = {
    'http://schemas.xmlsoap.org/ws/2004/09/transfer/Create': 'Create',
    'http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete': 'Delete',
    SHELL_URI + '/Command': 'Command',
    SHELL_URI + '/Send': 'Send',
    SHELL_URI + '/Receive': 'Receive',
    SHELL_URI + '/Signal': 'Signal',
}
# ERROR_WSMAN_OPERATION_TIMEDOUT (0x80338029): Receive found no output within OperationTimeout.
# pywinrm turns exactly this code into WinRMOperationTimeoutError and the client receives again.
OPERATION_TIMEOUT_CODE = 2150858793
# ERROR_WSMAN_INVALID_SELECTORS / unknown shell: what WinRM answers for a ShellId it does not hold.
INVALID_SELECTORS_CODE = 2150858843


class Request:
    """One parsed WS-Man request."""

    def __init__(self, body):
        self.root = ET.fromstring(body)
        header = self.root.find('s:Header', NS)
        self.action_uri = _text(header, 'a:Action')
        self.action = ACTIONS.get(self.action_uri)
        self.resource_uri = _text(header, 'w:ResourceURI')
        self.message_id = _text(header, 'a:MessageID')
        self.timeout_s = _duration(_text(header, 'w:OperationTimeout') or 'PT60S')
        self.max_envelope = int(_text(header, 'w:MaxEnvelopeSize') or 153600)
        selector = header.find("w:SelectorSet/w:Selector[@Name='ShellId']", NS)
        self.shell_id = selector.text if selector is not None else None
        self.options = {o.get('Name'): o.text for o in header.findall('w:OptionSet/w:Option', NS)}
        self.body = self.root.find('s:Body', NS)

    def command_line(self):
        line = self.body.find('rsp:CommandLine', NS)
        return _text(line, 'rsp:Command'), _text(line, 'rsp:Arguments') or ''

    def stdin(self):
        stream = self.body.find('rsp:Send/rsp:Stream', NS)
        data = base64.b64decode(stream.text or '')
        return stream.get('CommandId'), data, stream.get('End', 'false').lower() == 'true'

    def receive_command_id(self):
        return self.body.find('rsp:Receive/rsp:DesiredStream', NS).get('CommandId')

    def signal_command_id(self):
        return self.body.find('rsp:Signal', NS).get('CommandId')


def _text(node, path):
    if node is None:
        return None
    found = node.find(path, NS)
    return found.text if found is not None else None


def _duration(value):
    # xs:duration as pywinrm writes it: PT<seconds>S (possibly fractional)
    value = value.strip().upper()
    assert value.startswith('PT') and value.endswith('S'), 'unexpected OperationTimeout %r' % value
    return float(value[2:-1])


def _envelope(action, relates_to, body):
    return ('<s:Envelope xmlns:s="{s}" xmlns:a="{a}" xmlns:w="{w}" xmlns:x="{x}" xmlns:rsp="{rsp}">'
            '<s:Header><a:Action>{action}</a:Action><a:MessageID>uuid:{mid}</a:MessageID>'
            '<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>'
            '<a:RelatesTo>{rel}</a:RelatesTo></s:Header><s:Body>{body}</s:Body></s:Envelope>').format(
                action=action, mid=uuid.uuid4(), rel=escape(relates_to or ''), body=body, **NS).encode()


def create_response(req, shell_id, address):
    return _envelope(
        'http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse', req.message_id,
        '<x:ResourceCreated><a:Address>{addr}</a:Address><a:ReferenceParameters>'
        '<w:ResourceURI>{res}</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">{sid}</w:Selector>'
        '</w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>'
        '<rsp:Shell><rsp:ShellId>{sid}</rsp:ShellId><rsp:ResourceUri>{res}</rsp:ResourceUri>'
        '<rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams>'
        '</rsp:Shell>'.format(addr=escape(address), res=CMD_RESOURCE, sid=shell_id))


def command_response(req, command_id):
    return _envelope(SHELL_URI + '/CommandResponse', req.message_id,
                     '<rsp:CommandResponse><rsp:CommandId>%s</rsp:CommandId></rsp:CommandResponse>' % command_id)


def send_response(req):
    return _envelope(SHELL_URI + '/SendResponse', req.message_id, '<rsp:SendResponse/>')


def receive_response(req, command_id, stdout, stderr, exit_code):
    """Everything in one Receive: the output streams, their End markers and CommandState/Done."""
    streams = []
    for name, data in (('stdout', stdout), ('stderr', stderr)):
        if data:
            streams.append('<rsp:Stream Name="%s" CommandId="%s">%s</rsp:Stream>'
                           % (name, command_id, base64.b64encode(data).decode()))
        streams.append('<rsp:Stream Name="%s" CommandId="%s" End="true"></rsp:Stream>' % (name, command_id))
    body = ('<rsp:ReceiveResponse>%s<rsp:CommandState CommandId="%s" State="%s/CommandState/Done">'
            '<rsp:ExitCode>%d</rsp:ExitCode></rsp:CommandState></rsp:ReceiveResponse>'
            % (''.join(streams), command_id, SHELL_URI, exit_code))
    return _envelope(SHELL_URI + '/ReceiveResponse', req.message_id, body)


def signal_response(req):
    return _envelope(SHELL_URI + '/SignalResponse', req.message_id, '<rsp:SignalResponse/>')


def delete_response(req):
    return _envelope('http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse', req.message_id, '')


def fault(req, code, subcode, reason, wsman_code):
    """A SOAP 1.2 fault with the WSManFault detail Windows puts in it (HTTP 500)."""
    relates = req.message_id if req is not None else ''
    body = ('<s:Fault><s:Code><s:Value>s:{code}</s:Value><s:Subcode><s:Value>{sub}</s:Value></s:Subcode>'
            '</s:Code><s:Reason><s:Text xml:lang="en-US">{reason}</s:Text></s:Reason><s:Detail>'
            '<f:WSManFault xmlns:f="{f}" Code="{wcode}" Machine="localhost"><f:Message>{reason}</f:Message>'
            '</f:WSManFault></s:Detail></s:Fault>').format(code=code, sub=subcode, reason=escape(reason),
                                                           wcode=wsman_code, f=NS['f'])
    return _envelope('http://schemas.dmtf.org/wbem/wsman/1/wsman/fault', relates, body)


def operation_timeout(req):
    return fault(req, 'Receiver', 'w:TimedOut', 'The WS-Management service cannot complete the operation within '
                 'the time specified in OperationTimeout.', OPERATION_TIMEOUT_CODE)


def unknown_shell(req):
    return fault(req, 'Sender', 'w:InvalidSelectors', 'The WS-Management service cannot process the request because '
                 'the request contained invalid selectors for the resource.', INVALID_SELECTORS_CODE)
