/**
 * The report form's only script (about 1.5 KB), where JavaScript adds something the form cannot do
 * alone: the phone's position (only when the citizen taps the button and allows it), a preview of the
 * chosen photo, hiding the contact fields when anonymous, and the category suggested from the text as
 * it is typed. Without it the form works the same: the category is then suggested at submission.
 */
export const REPORT_SCRIPT = `(function(){
var $=function(i){return document.getElementById(i)};
var loc=$('locate'),note=$('locate-note');
if(loc&&navigator.geolocation){loc.onclick=function(){note.textContent=loc.dataset.busy;
navigator.geolocation.getCurrentPosition(function(p){$('lat').value=p.coords.latitude.toFixed(6);$('lng').value=p.coords.longitude.toFixed(6);
note.textContent=loc.dataset.done.replace('{{m}}',Math.round(p.coords.accuracy))},function(){note.textContent=loc.dataset.fail},{enableHighAccuracy:true,timeout:15000,maximumAge:60000})}}
else if(loc){loc.hidden=true}
var ph=$('photo'),pv=$('preview');
ph.onchange=function(){var f=ph.files&&ph.files[0];if(pv.src)URL.revokeObjectURL(pv.src);
if(f&&/^image\\//.test(f.type)){pv.src=URL.createObjectURL(f);pv.style.display='block'}else{pv.removeAttribute('src');pv.style.display='none'}};
var an=$('anonymous'),ct=$('contact');function sync(){ct.hidden=an.checked}an.onchange=sync;sync();
var c=$('content'),sg=$('suggest'),sel=$('categoryCode'),tm,last='',picked=!!sel.value;
sel.onchange=function(){picked=true};
c.oninput=function(){clearTimeout(tm);tm=setTimeout(suggest,600)};
function suggest(){var v=c.value.trim();if(v.length<6||v===last)return;last=v;
fetch('/public/suggest',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({text:v})})
.then(function(r){return r.ok?r.json():null}).then(function(s){if(!s||!s.categories.length)return;sg.textContent='';
var l=document.createElement('span');l.textContent=sg.dataset.label+' ';sg.appendChild(l);
s.categories.forEach(function(k){var b=document.createElement('button');b.type='button';b.textContent=k.name;b.onclick=function(){sel.value=k.code;picked=true};sg.appendChild(b)});
if(!picked)sel.value=s.categories[0].code}).catch(function(){})}
})();`;
