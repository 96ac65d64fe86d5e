const {createRequire}=require("module");const r=createRequire(require.resolve("aws-cdk-lib"));
const v=r("@aws/cloudformation-validate");const fs=require("fs"),path=require("path");
const RD=path.join(path.dirname(require.resolve("aws-cdk-lib")),"core/lib/validation/rules");
const idx=JSON.parse(fs.readFileSync(path.join(RD,"index.generated.json"),"utf8"));
const file=process.argv[2];const text=fs.readFileSync(file,"utf8");const t=JSON.parse(text);
const types=new Set(Object.values(t.Resources).map(x=>x.Type));
const rules=idx.rules.filter(r=>r.types===null||r.types.some(x=>types.has(x))).map(r=>({name:r.file,content:fs.readFileSync(path.join(RD,r.file),"utf8")}));
console.log("rules",rules.length,"of",idx.rules.length, "resources",Object.keys(t.Resources).length);
let t0=process.cpuUsage();const eng=new v.CompositeEngine({regoRules:rules});console.log("init ms",(process.cpuUsage(t0).user)/1000);
const opts={detailLevel:"STANDARD",pseudoParameterOverrides:{accountId:"123456789012",region:"us-east-1"},exclude:{ids:["W3005","W1020","I4010","W4011","W4012","W9002","W9013","W1103"],services:[{ruleId:"W3697",service:"AWS::AutoScaling"}]},severityLevel:"WARN"};
for(let i=0;i<30;i++){t0=process.cpuUsage();const rep=eng.validateTemplate(new v.TemplateContent(text,file),opts);const u=process.cpuUsage(t0);console.log("validate ms",(u.user+u.system)/1000,"diag",rep.diagnostics.length);if(i==29){console.log(Object.keys(rep));console.log(JSON.stringify(rep.performance||rep.metrics||rep.summary).slice(0,4000))};}
