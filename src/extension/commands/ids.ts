// Every command id in one place; package.json's contributes.commands lists the same ids (a unit test checks).
export enum CommandId {
  ShowRuleDocs = 'deeplint.showRuleDocs',
  ExplainConcept = 'deeplint.explainConcept',
  FixAll = 'deeplint.fixAll',
  InsertSnippet = 'deeplint.insertSnippet',
  OpenSample = 'deeplint.openSample',
  ProbeModel = 'deeplint.probeModel',
  ShowLog = 'deeplint.showLog',
}
