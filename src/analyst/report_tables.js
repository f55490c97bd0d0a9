(function(){
  // Every table of the report: a search box above it (rows that do not contain the words are
  // hidden), and headers that sort the rows when clicked (numbers as numbers; a second click
  // reverses). A date range, where documents have dates, filters the day table and the articles.
  function text(el){ return (el.textContent||'').trim(); }
  function num(s){ var t=s.replace(/[,%\s]/g,''); return t!=='' && !isNaN(t) ? parseFloat(t) : null; }
  var tables=document.querySelectorAll('main section table');
  // Data rows: not the heading row of a group (a kind of speaker) or an "and N more" row.
  function rowsOf(body){
    return Array.prototype.filter.call(body.rows,function(r){
      return !r.classList.contains('kindrow') && !r.classList.contains('more');
    });
  }
  tables.forEach(function(table){
    var bodies=Array.prototype.slice.call(table.tBodies); if(!bodies.length) return;
    var box=document.createElement('input');
    box.type='search'; box.className='filter'; box.placeholder='Search this table';
    box.setAttribute('aria-label','Search this table');
    table.parentNode.insertBefore(box,table);
    box.addEventListener('input',function(){
      var q=box.value.toLowerCase().split(/\s+/).filter(Boolean);
      bodies.forEach(function(body){
        rowsOf(body).forEach(function(r){
          var t=text(r).toLowerCase();
          r.classList.toggle('nomatch',!q.every(function(w){return t.indexOf(w)>=0;}));
        });
      });
    });
    var heads=table.tHead?table.tHead.rows[0].cells:[];
    Array.prototype.forEach.call(heads,function(th,col){
      th.classList.add('sortable'); th.setAttribute('role','button'); th.tabIndex=0;
      function sort(){
        var asc=th.getAttribute('data-sort')!=='asc';
        Array.prototype.forEach.call(heads,function(h){h.removeAttribute('data-sort');});
        th.setAttribute('data-sort',asc?'asc':'desc');
        // Each group (tbody) is sorted within itself; its heading stays first, "more" last.
        bodies.forEach(function(body){
          var rows=rowsOf(body);
          var more=Array.prototype.filter.call(body.rows,function(r){return r.classList.contains('more');});
          var vals=rows.map(function(r){return r.cells[col]?text(r.cells[col]):'';});
          var numeric=vals.every(function(v){return v===''||num(v)!==null;});
          var idx=rows.map(function(r,i){return i;});
          idx.sort(function(a,b){
            var x=vals[a], y=vals[b], c;
            if(numeric){ c=(num(x)||0)-(num(y)||0); } else { c=x.localeCompare(y); }
            return (asc?c:-c)||(a-b);
          });
          idx.forEach(function(i){body.appendChild(rows[i]);});
          more.forEach(function(r){body.appendChild(r);});
        });
      }
      th.addEventListener('click',sort);
      th.addEventListener('keydown',function(e){ if(e.key==='Enter'||e.key===' '){e.preventDefault();sort();} });
    });
  });
  var dated=document.querySelectorAll('[data-date]');
  if(dated.length){
    var days=Array.prototype.map.call(dated,function(e){return e.getAttribute('data-date');}).sort();
    var bar=document.createElement('div'); bar.className='daterange';
    bar.innerHTML='Dates from <input type="date" id="date-from"> to <input type="date" id="date-to"> <span id="date-count"></span>';
    var main=document.querySelector('main'); main.insertBefore(bar,main.firstChild);
    var from=bar.querySelector('#date-from'), to=bar.querySelector('#date-to');
    from.value=from.min=to.min=days[0]; to.value=from.max=to.max=days[days.length-1];
    function apply(){
      var shown=0;
      dated.forEach(function(e){
        var d=e.getAttribute('data-date'), out=(from.value&&d<from.value)||(to.value&&d>to.value);
        e.classList.toggle('outofrange',!!out); if(!out) shown++;
      });
      bar.querySelector('#date-count').textContent=shown+' of '+dated.length+' dated rows and articles shown';
    }
    from.addEventListener('input',apply); to.addEventListener('input',apply); apply();
  }
  document.documentElement.setAttribute('data-tables','1');
})();
